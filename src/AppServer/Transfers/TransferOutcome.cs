namespace AppServer.Transfers;

/// <summary>What an agent action ended as: the transfer record (200) or a problem (status, title, detail).</summary>
public sealed record TransferOutcome(int Status, Transfer? Transfer, string? Title = null, string? Detail = null)
{
    public static TransferOutcome Ok(Transfer transfer) => new(StatusCodes.Status200OK, transfer);

    public static TransferOutcome Problem(int status, string title, string detail, Transfer? transfer = null) =>
        new(status, transfer, title, detail);

    public Results<Ok<TransferView>, ValidationProblem, ProblemHttpResult> ToResult()
    {
        if (Status == StatusCodes.Status200OK && Transfer is not null) return TypedResults.Ok(TransferView.Of(Transfer));
        // The transfer id lets the agent fetch the full CallAPI exchange of a failed action.
        var extensions = Transfer is null ? null : new Dictionary<string, object?> { ["transferId"] = Transfer.Id };
        return TypedResults.Problem(detail: Detail, statusCode: Status, title: Title, extensions: extensions);
    }
}
