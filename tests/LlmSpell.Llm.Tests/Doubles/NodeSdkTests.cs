using Xunit.Sdk;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>A missing or mismatched SDK fails the SDK tests loudly, naming the fix; it never skips them.</summary>
public sealed class NodeSdkTests
{
    [Fact]
    public void MissingSdksFailWithTheInstallStep()
    {
        using var empty = new TempDir();
        var failure = Assert.ThrowsAny<XunitException>(() => NodeSdk.RequireSdks(empty.Path));
        Assert.Contains("openai@7.55.0 is not installed", failure.Message);
        Assert.Contains("@anthropic-ai/sdk@1.10.0 is not installed", failure.Message);
        Assert.Contains("ollama@0.6.4 is not installed", failure.Message);
        Assert.Contains("scripts/test.sh", failure.Message);
    }

    [Fact]
    public void AnSdkAtAnotherVersionFails()
    {
        using var modules = new TempDir();
        foreach (var (package, version) in new[] { ("openai", "7.55.0"), ("@anthropic-ai/sdk", "1.10.0"), ("ollama", "0.5.0") })
        {
            Directory.CreateDirectory(modules.Combine(package));
            File.WriteAllText(modules.Combine(package, "package.json"), $$"""{"name":"{{package}}","version":"{{version}}"}""");
        }
        var failure = Assert.ThrowsAny<XunitException>(() => NodeSdk.RequireSdks(modules.Path));
        Assert.Contains("ollama is at 0.5.0, not 0.6.4", failure.Message);
        Assert.DoesNotContain("openai@", failure.Message);
        Assert.DoesNotContain("openai is", failure.Message);
    }

    [Fact]
    public void TheInstalledSdksAreThePinnedOnes() => NodeSdk.RequireSdks(NodeSdk.NodeModules);
}
