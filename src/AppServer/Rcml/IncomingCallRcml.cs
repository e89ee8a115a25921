using System.Xml.Linq;
using AppServer.Agents;
using AppServer.Configuration;

namespace AppServer.Rcml;

/// <summary>RCML for incoming calls and Dial outcomes, built with XDocument so every value is escaped.</summary>
public sealed class IncomingCallRcml(PublicUrls urls)
{
    public RcmlResult DialAgent(Agent agent, string? callerId) =>
        Respond(new XElement("Dial",
            new XAttribute("action", urls.For("/dial-action")),
            callerId is null ? null : new XAttribute("callerId", callerId),
            Noun(agent.Address)));

    public RcmlResult NotInService() =>
        Respond(new XElement("Say", "The number you called is not in service."), new XElement("Hangup"));

    public RcmlResult AfterDial(string? dialCallStatus) =>
        dialCallStatus is "completed" or "answered" or null
            ? Respond(new XElement("Hangup"))
            : Respond(new XElement("Say", "Nobody is available to take your call. Goodbye."), new XElement("Hangup"));

    public static RcmlResult Empty() => Respond();

    public static XElement Noun(AgentAddress address) => address.Kind switch
    {
        AddressKind.Client => new XElement("Client", address.Value),
        AddressKind.Sip => new XElement("Sip", address.Value),
        _ => new XElement("Number", address.Value),
    };

    public static RcmlResult Respond(params object?[] verbs) => new(new XDocument(new XElement("Response", verbs)));
}
