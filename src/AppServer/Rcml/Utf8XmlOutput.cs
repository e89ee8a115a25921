using System.Text;
using System.Xml;

namespace AppServer.Rcml;

/// <summary>
/// Writes one XML element tree to UTF-8 bytes with an <see cref="XmlWriter"/> kept per thread. Creating an XmlWriter
/// allocates several KB of buffers and stacks; per webhook that was a third of all the bytes the server allocated
/// (bench/NOTES.md). The writer works in fragment mode, so each document is flushed, copied out, and the buffer
/// rewound for the next one. A write that throws leaves the writer mid-document, so that writer is dropped.
/// </summary>
internal sealed class Utf8XmlOutput
{
    private const int MaxKeptBufferBytes = 64 * 1024;

    private static readonly XmlWriterSettings Settings = new()
    {
        OmitXmlDeclaration = true,
        Indent = false,
        ConformanceLevel = ConformanceLevel.Fragment,
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        CloseOutput = false,
    };

    [ThreadStatic] private static Utf8XmlOutput? t_current;

    private readonly MemoryStream _buffer = new(1024);
    private readonly XmlWriter _writer;

    private Utf8XmlOutput() => _writer = XmlWriter.Create(_buffer, Settings);

    /// <summary>The bytes <paramref name="write"/> produces (one root element; no declaration, no indentation).</summary>
    public static byte[] Write<TState>(TState state, Action<XmlWriter, TState> write)
    {
        var output = t_current ?? new Utf8XmlOutput();
        t_current = null; // taken: a render that re-entered on this thread (it cannot today) would get its own
        try
        {
            write(output._writer, state);
            output._writer.Flush();
            var bytes = output._buffer.ToArray();
            output._buffer.SetLength(0);
            if (output._buffer.Capacity <= MaxKeptBufferBytes) t_current = output;
            return bytes;
        }
        catch
        {
            output._writer.Dispose(); // half a document inside: never reuse it
            throw;
        }
    }
}
