using System.ComponentModel.DataAnnotations;
using System.Text;
using AppServer.Configuration;
using Microsoft.Extensions.Options;

namespace AppServer.Rcml;

/// <summary><c>AppServer:Hold</c>: what a held leg hears.</summary>
public sealed class HoldOptions : IValidatableObject
{
    public const string Section = "AppServer:Hold";

    /// <summary>An audio file the platform can fetch (WAV or MP3); empty: AppServer's own tune at /audio/hold-music.wav.</summary>
    public string MusicUrl { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var usable = Uri.TryCreate(MusicUrl, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https");
        if (MusicUrl.Length > 0 && !usable)
            yield return new ValidationResult($"AppServer:Hold:MusicUrl must be an absolute http(s) URL, got '{MusicUrl}'.",
                [nameof(MusicUrl)]);
    }
}

/// <summary>
/// Hold music that works with no configuration: a short tune AppServer makes itself (8 kHz 16-bit mono PCM, what
/// telephony media servers play as is) and serves at /audio/hold-music.wav; <c>Play loop="0"</c> repeats it.
/// </summary>
public sealed class HoldMusic(IOptionsMonitor<HoldOptions> options, PublicUrls urls)
{
    private static readonly Lazy<byte[]> Tune = new(Compose);

    public string Url => options.CurrentValue.MusicUrl is { Length: > 0 } configured ? configured : urls.Plain(RcmlPaths.HoldMusic);

    public static byte[] Wav => Tune.Value;

    private static byte[] Compose()
    {
        const int rate = 8000;
        double[] notes = [523.25, 659.25, 783.99, 659.25, 587.33, 698.46, 880.00, 698.46]; // C E G E, D F A F
        const double noteSeconds = 0.5;
        var samples = new short[(int)(notes.Length * noteSeconds * rate)];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / rate;
            var note = notes[(int)(t / noteSeconds)];
            var within = t % noteSeconds / noteSeconds;
            var envelope = Math.Sin(Math.PI * within); // each note swells and fades: no clicks between them
            samples[i] = (short)(Math.Sin(2 * Math.PI * note * t) * envelope * 6000);
        }
        using var wav = new MemoryStream();
        using var writer = new BinaryWriter(wav, Encoding.ASCII);
        writer.Write("RIFF"u8);
        writer.Write(36 + samples.Length * 2);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1); // PCM
        writer.Write((short)1); // mono
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples.Length * 2);
        foreach (var sample in samples) writer.Write(sample);
        writer.Flush();
        return wav.ToArray();
    }
}
