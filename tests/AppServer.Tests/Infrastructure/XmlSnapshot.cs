using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Snapshooter;
using Snapshooter.Xunit;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// Snapshooter, keeping each snapshot a plain indented .xml file in __snapshots__ next to the calling test,
/// so a reviewer reads the RCML itself. (Verify.Xunit, the usual choice, cannot be restored here.)
/// A different document fails and lands in __snapshots__/__mismatch__. A missing snapshot fails too (so deleting
/// one can never pass silently) unless UPDATE_SNAPSHOTS=1 is set, which writes it for review.
/// </summary>
public static class XmlSnapshot
{
    public static void Match(XDocument document, string name, [CallerFilePath] string testFile = "")
    {
        // Snapshooter adds the __snapshots__ folder itself.
        var folder = Path.GetDirectoryName(testFile)!;
        var file = Path.Combine(folder, "__snapshots__", name + ".xml");
        if (!File.Exists(file) && Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") != "1")
            Assert.Fail($"Snapshot {file} is missing. Run the tests once with UPDATE_SNAPSHOTS=1 to write it, then review and commit it.");
        Snapshot.Match(document.ToString(), new SnapshotFullName(name + ".xml", folder));
    }
}
