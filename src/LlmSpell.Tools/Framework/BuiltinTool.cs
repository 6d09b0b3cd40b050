using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmSpell.Tools.Framework;

/// <summary>
/// What every built-in tool does around its own work: checks the arguments against its schema (so the schema the model
/// sees and the checks agree), hands them over as <see cref="ToolArguments"/> and writes the result object as JSON.
/// </summary>
internal abstract class BuiltinTool : IBuiltinTool
{
    private readonly Lazy<ArgumentSchema> _schema;

    protected BuiltinTool() => _schema = new(() => ArgumentSchema.Parse(Name, ParametersJsonSchema));

    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract string ParametersJsonSchema { get; }

    public async Task<string> InvokeAsync(JsonElement arguments, ToolContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _schema.Value.Validate(arguments);
        var result = await RunAsync(new ToolArguments(Name, arguments), context, cancellationToken);
        return JsonText.Write(result);
    }

    /// <summary>The tool's work on arguments that passed the schema; throws <see cref="ToolException"/> for refusals.</summary>
    protected abstract Task<JsonObject> RunAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken);
}

/// <summary>A tool whose work is quick and synchronous (no I/O to wait for).</summary>
internal abstract class SynchronousTool : BuiltinTool
{
    protected sealed override Task<JsonObject> RunAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Run(arguments, context));
    }

    protected abstract JsonObject Run(ToolArguments arguments, ToolContext context);
}
