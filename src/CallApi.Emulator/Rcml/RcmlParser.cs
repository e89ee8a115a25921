using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using CallApi.Emulator.Calls;

namespace CallApi.Emulator.Rcml;

/// <summary>An RCML document the emulator cannot execute; the platform then requests the FallbackUrl.</summary>
public sealed class InvalidRcmlException(string message) : Exception(message);

/// <summary>Parses the RCML verbs of docs/platform.md §3. Unknown verbs make the whole document invalid, as on the platform.</summary>
public static class RcmlParser
{
    public static IReadOnlyList<RcmlVerb> Parse(string xml, Uri documentUrl)
    {
        XDocument doc;
        try
        {
            // No DTDs and no external entities: the document comes from an application we do not trust.
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            doc = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new InvalidRcmlException("Not well-formed XML: " + ex.Message);
        }

        if (doc.Root is not { Name.LocalName: "Response" } root)
        {
            throw new InvalidRcmlException("The root element must be <Response>.");
        }
        return root.Elements().Select(e => ParseVerb(e, documentUrl)).ToList();
    }

    private static RcmlVerb ParseVerb(XElement e, Uri baseUrl) => e.Name.LocalName switch
    {
        "Say" => new SayVerb(e.Value.Trim()) { Loop = Int(e, "loop", 1) },
        "Play" => new PlayVerb(e.Value.Trim()) { Loop = Int(e, "loop", 1) },
        "Pause" => new PauseVerb(Int(e, "length", 1)),
        "Gather" => new GatherVerb(e.Elements().Select(p => ParseVerb(p, baseUrl)).ToList()),
        "Record" => new RecordVerb(),
        "Redirect" => new RedirectVerb(Resolve(baseUrl, e.Value.Trim()), MethodOf(e, "method")),
        "Hangup" => new HangupVerb(),
        "Reject" => new RejectVerb((string?)e.Attribute("reason") ?? "rejected"),
        "Dial" => ParseDial(e, baseUrl),
        var other => throw new InvalidRcmlException($"Unknown verb <{other}>."),
    };

    private static DialVerb ParseDial(XElement e, Uri baseUrl)
    {
        var action = (string?)e.Attribute("action") is { Length: > 0 } a ? Resolve(baseUrl, a) : null;
        var targets = new List<DialNoun>();
        ConferenceNoun? conference = null;
        foreach (var noun in e.Elements())
        {
            var value = noun.Value.Trim();
            switch (noun.Name.LocalName)
            {
                case "Client":
                    targets.Add(new DialNoun(AddressKind.Client, "client:" + value, NounCallbackOf(noun, baseUrl)));
                    break;
                case "Sip":
                    targets.Add(new DialNoun(AddressKind.Sip, value.StartsWith("sip:",
                        StringComparison.OrdinalIgnoreCase) ? value : "sip:" + value, NounCallbackOf(noun, baseUrl)));
                    break;
                case "Number":
                    targets.Add(new DialNoun(AddressKind.Number, value, NounCallbackOf(noun, baseUrl)));
                    break;
                case "Conference":
                    conference = new ConferenceNoun(
                        value,
                        Bool(noun, "startConferenceOnEnter", true),
                        Bool(noun, "endConferenceOnExit", false),
                        Bool(noun, "muted", false),
                        Int(noun, "maxParticipants", 40))
                    {
                        Beep = Bool(noun, "beep", true),
                        WaitUrl = (string?)noun.Attribute("waitUrl") is { Length: > 0 } wait ? Resolve(baseUrl, wait) : null,
                        WaitMethod = MethodOf(noun, "waitMethod"),
                    };
                    break;
                default:
                    throw new InvalidRcmlException($"Unknown Dial noun <{noun.Name.LocalName}>.");
            }
        }

        // <Dial>+15551234567</Dial>: a bare number as the body.
        if (targets.Count == 0 && conference is null
            && e.Nodes().OfType<XText>().Select(t => t.Value.Trim()).FirstOrDefault(t => t.Length > 0) is { } bare)
        {
            targets.Add(new DialNoun(AddressKind.Number, bare, null));
        }
        if (targets.Count == 0 && conference is null)
        {
            throw new InvalidRcmlException("<Dial> has nothing to dial.");
        }
        if (conference is not null && targets.Count > 0)
        {
            throw new InvalidRcmlException("<Conference> cannot be mixed with other nouns.");
        }
        if (targets.Count > 10)
        {
            throw new InvalidRcmlException("<Dial> rings at most 10 targets.");
        }
        if (targets.Count > 1 && targets.Any(t => t.Kind == AddressKind.Sip))
        {
            throw new InvalidRcmlException("A <Sip> noun must stand alone in its <Dial>.");
        }

        return new DialVerb(
            action,
            MethodOf(e, "method"),
            Int(e, "timeout", 30),
            Int(e, "timeLimit", 14400),
            (string?)e.Attribute("callerId") is { Length: > 0 } c ? c : null,
            targets,
            conference);
    }

    private static NounCallback? NounCallbackOf(XElement noun, Uri baseUrl)
    {
        if ((string?)noun.Attribute("statusCallback") is not { Length: > 0 } url)
        {
            return null;
        }
        var events = ProgressEvents.Parse((string?)noun.Attribute("statusCallbackEvent"));
        return new NounCallback(Resolve(baseUrl, url), MethodOf(noun, "statusCallbackMethod"), events);
    }

    /// <summary>RCML URLs may be relative to the document that contains them.</summary>
    public static string Resolve(Uri baseUrl, string url) =>
        Uri.TryCreate(baseUrl, url, out var resolved) ? resolved.ToString() : throw new InvalidRcmlException($"Bad URL '{url}'.");

    private static string MethodOf(XElement e, string attribute) =>
        string.Equals((string?)e.Attribute(attribute), "GET", StringComparison.OrdinalIgnoreCase) ? "GET" : "POST";

    private static int Int(XElement e, string attribute, int fallback) =>
        int.TryParse((string?)e.Attribute(attribute), NumberStyles.Integer, CultureInfo.InvariantCulture,
            out var v) && v >= 0 ? v : fallback;

    private static bool Bool(XElement e, string attribute, bool fallback) =>
        bool.TryParse((string?)e.Attribute(attribute), out var v) ? v : fallback;
}
