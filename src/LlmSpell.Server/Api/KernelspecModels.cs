namespace LlmSpell.Server.Api;

/// <summary>A kernelspec's kernel.json, as Jupyter reads it (and as GET /api/kernelspecs nests it under "spec").</summary>
public sealed record KernelSpec(
    string[] Argv,
    string DisplayName,
    string Language,
    string InterruptMode,
    KernelSpecMetadata Metadata,
    IReadOnlyDictionary<string, string> Env);

public sealed record KernelSpecMetadata(bool Debugger);

/// <summary>
/// Jupyter Server's kernelspec model: name, spec and the URLs of its resources, keyed as Jupyter Server keys them
/// (the file name without its extension: "logo-64x64").
/// </summary>
public sealed record KernelSpecModel(string Name, KernelSpec Spec, IReadOnlyDictionary<string, string> Resources);

/// <summary>GET /api/kernelspecs: the default kernel's name and every kernelspec by name.</summary>
public sealed record KernelSpecList(string Default, IReadOnlyDictionary<string, KernelSpecModel> Kernelspecs);

/// <summary>GET /api, as Jupyter Server answers it.</summary>
public sealed record ApiVersion(string Version);
