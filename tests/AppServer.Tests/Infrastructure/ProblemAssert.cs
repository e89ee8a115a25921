using System.Net;

namespace AppServer.Tests.Infrastructure;

/// <summary>Checks RFC 9457 answers, read as <see cref="ApiProblem"/>.</summary>
public static class ProblemAssert
{
    /// <summary>An application/problem+json body whose status is the answer's own and whose title says something.</summary>
    public static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = ApiJson.Deserialize<ApiProblem>(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)response.StatusCode, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
        return problem;
    }

    /// <summary>
    /// Asserts a problem answer with <paramref name="status"/>, naming <paramref name="field"/> in its errors when given.
    /// </summary>
    public static async Task<ApiProblem> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await ReadProblemAsync(response);
        if (field is not null) Assert.True(problem.Errors?.ContainsKey(field) == true, $"problem names {field}");
        return problem;
    }
}
