using System.Net;
using System.Text;

namespace CallApi.Emulator.Control;

/// <summary>A tiny HTML view of the state at "/", refreshed every two seconds; everything shown is HTML-encoded.</summary>
public static class StatePage
{
    public static string Render(EmulatorState state)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\">")
            .Append("<title>CallAPI emulator</title>")
            .Append("<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 6px}")
            .Append("table{border-collapse:collapse}</style>")
            .Append("</head><body><h1>CallAPI emulator</h1><h2>Calls</h2><table>")
            .Append("<tr><th>sid</th><th>direction</th><th>from</th><th>to</th>")
            .Append("<th>status</th><th>muted</th><th>bridged to</th><th>conference</th><th>hears</th><th>activity</th></tr>");
        foreach (var leg in state.Calls.Reverse())
        {
            html.Append("<tr><td>").Append(E(leg.Call.Sid)).Append("</td><td>").Append(E(leg.Call.Direction))
                .Append("</td><td>").Append(E(leg.Call.From)).Append("</td><td>").Append(E(leg.Call.To))
                .Append("</td><td>").Append(E(leg.Call.Status)).Append("</td><td>").Append(leg.Call.Muted ? "yes" : "")
                .Append("</td><td>").Append(E(leg.BridgedTo)).Append("</td><td>").Append(E(leg.Conference))
                .Append("</td><td>").Append(E(Describe(leg.Hears)))
                .Append("</td><td>").Append(E(string.Join(" | ", leg.Activity))).Append("</td></tr>");
        }
        html.Append("</table><h2>Conferences</h2>");
        foreach (var room in state.Conferences)
        {
            html.Append("<h3>").Append(E(room.Name)).Append(" <small>").Append(E(room.Sid)).Append(' ').Append(E(room.Status)).Append(
                "</small></h3><ul>");
            foreach (var m in room.Members)
            {
                html.Append("<li>").Append(E(m.CallSid)).Append(' ').Append(E(m.From)).Append(" → ").Append(E(m.To))
                    .Append(m.Muted ? " (muted)" : "").Append(m.Waiting ? " (waiting: " + E(m.WaitUrl) + ")" : "").Append("</li>");
            }
            html.Append("</ul>");
        }
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>"conference support-42: ID…, ID…", "music: http://…/hold.wav", "silence", … (empty once ended).</summary>
    private static string Describe(HearsView? hears)
    {
        if (hears is null)
        {
            return "";
        }
        var what = new List<string>();
        if (hears.Room is not null)
        {
            what.Add(hears.Room);
        }
        what.AddRange(hears.CallSids);
        if (hears.Url is not null)
        {
            what.Add(hears.Url);
        }
        return what.Count == 0 ? hears.Kind : hears.Kind + ": " + string.Join(", ", what);
    }
}
