using System.Collections.Frozen;

namespace LlmSpell.Server.Api;

/// <summary>One file of the kernelspec's resource directory: its name, the key Jupyter lists it under and its media type.</summary>
public sealed record KernelSpecResource(string FileName, string Key, string ContentType);

/// <summary>
/// The kernelspec's logos (embedded in this assembly from Api/Kernelspecs/; the PNGs are rendered from logo-svg.svg
/// by scripts/render-logos.sh). Jupyter looks for logo-32x32.png, logo-64x64.png and logo-svg.svg by name.
/// </summary>
public static class KernelSpecResources
{
    public static IReadOnlyList<KernelSpecResource> All { get; } =
    [
        new("logo-32x32.png", "logo-32x32", "image/png"),
        new("logo-64x64.png", "logo-64x64", "image/png"),
        new("logo-svg.svg", "logo-svg", "image/svg+xml"),
    ];

    private static readonly FrozenDictionary<string, byte[]> Contents = All.ToFrozenDictionary(r => r.FileName, r => Read(r.FileName));

    public static KernelSpecResource? Find(string fileName) => All.FirstOrDefault(r => r.FileName == fileName);

    public static byte[] Bytes(KernelSpecResource resource) => Contents[resource.FileName];

    private static byte[] Read(string fileName)
    {
        var name = "LlmSpell.Server.kernelspecs." + fileName;
        using var stream = typeof(KernelSpecResources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded resource {name} is missing from LlmSpell.Server (see its csproj)");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
