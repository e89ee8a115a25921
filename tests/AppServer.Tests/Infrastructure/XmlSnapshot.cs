using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Snapshooter;
using Snapshooter.Xunit;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// Snapshooter, keeping each snapshot a plain indented .xml file in __snapshots__ next to the calling test,
/// so a reviewer reads the RCML itself. (Verify.Xunit, the usual choice, cannot be restored here.)
/// A missing snapshot is written on first run; a different one fails and lands in __snapshots__/__mismatch__.
/// </summary>
public static class XmlSnapshot
{
    public static void Match(XDocument document, string name, [CallerFilePath] string testFile = "")
    {
        // Snapshooter adds the __snapshots__ folder itself.
        var folder = Path.GetDirectoryName(testFile)!;
        Snapshot.Match(document.ToString(), new SnapshotFullName(name + ".xml", folder));
    }
}
