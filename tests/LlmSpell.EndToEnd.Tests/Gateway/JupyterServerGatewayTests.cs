using System.Net;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Gateway;

/// <summary>
/// Jupyter Server started with --gateway-url pointing at the real llmspell service: every kernel operation is made
/// through Jupyter Server's own REST API and websocket, and llmspell's GET /api/kernels shows what it really runs.
/// </summary>
public sealed class JupyterServerGatewayTests
{
    private static readonly TimeSpan DriverTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task JupyterServer_ListsOurKernelspec_StartsExecutesInterruptsRestartsAndDeletesAKernelOnLlmSpell()
    {
        await using var world = await GatewayWorld.StartAsync();
        var server = await world.StartFrontendAsync(JupyterFrontend.Kind.JupyterServer);

        var run = await world.RunDriverAsync("gateway_e2e.py", DriverTimeout, "lifecycle",
            server.BaseUrl.ToString(), server.Token, world.Service.BaseUrl.ToString(), world.Token);
        var context = run + "\n" + world.Describe();

        // GET /api/kernelspecs through Jupyter Server: only llmspell's spec, and (from the second call on, as Jupyter
        // Server adopts the gateway's default after its first fetch) the default.
        var specs = run.GetProperty("kernelspecs");
        Assert.True(specs.GetProperty("status").GetInt32() == 200, $"Jupyter Server GET /api/kernelspecs: {specs}\n{context}");
        var specsBody = specs.GetProperty("body");
        Assert.Equal("llmspell", specsBody.GetProperty("default").GetString());
        Assert.Equal(["llmspell"], specsBody.GetProperty("kernelspecs").EnumerateObject().Select(p => p.Name).ToArray());
        var spec = specsBody.GetProperty("kernelspecs").GetProperty("llmspell");
        Assert.Equal("llmspell", spec.GetProperty("name").GetString());
        Assert.Equal("lua", spec.GetProperty("spec").GetProperty("language").GetString());
        Assert.Equal("Lua 5.4 (LLMSpell)", spec.GetProperty("spec").GetProperty("display_name").GetString());
        var one = run.GetProperty("kernelspec");
        Assert.True(one.GetProperty("status").GetInt32() == 200, $"Jupyter Server GET /api/kernelspecs/llmspell: {one}\n{context}");
        Assert.Equal("lua", one.GetProperty("body").GetProperty("spec").GetProperty("language").GetString());

        // POST /api/kernels through Jupyter Server, without a name, starts its default kernel: one of llmspell.
        var kernelId = run.GetProperty("kernel_id").GetString()!;
        Assert.True(Guid.TryParse(kernelId, out _), $"kernel id {kernelId} is not a UUID\n{context}");
        Assert.Equal("llmspell", run.GetProperty("start").GetProperty("body").GetProperty("name").GetString());
        Assert.Contains(kernelId, Strings(run.GetProperty("llmspell_after_start")));
        Assert.Equal([kernelId], Strings(run.GetProperty("jupyter_after_start"))); // Jupyter Server lists only the kernels it started
        Assert.Equal(200, run.GetProperty("jupyter_get").GetProperty("status").GetInt32());

        // Its websocket, proxied by Jupyter Server to llmspell's /api/kernels/{id}/channels.
        Assert.Equal(1, run.GetProperty("llmspell_while_connected").GetProperty("connections").GetInt32());
        var info = run.GetProperty("kernel_info").GetProperty("content");
        Assert.Equal("lua", info.GetProperty("language_info").GetProperty("name").GetString());
        var hello = run.GetProperty("hello");
        Assert.Equal("ok", hello.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal("hi\n", hello.GetProperty("stdout").GetString());
        Assert.Equal("42", hello.GetProperty("result").GetString());
        Assert.Equal("41", Ok(run, "set_global", context).GetProperty("result").GetString());

        // POST /api/kernels/{id}/interrupt through Jupyter Server stops a busy loop with KeyboardInterrupt.
        Assert.Equal(204, run.GetProperty("interrupt_http").GetProperty("status").GetInt32());
        var interrupted = run.GetProperty("interrupted").GetProperty("reply");
        Assert.True(interrupted.GetProperty("status").GetString() == "error", $"the busy loop's reply: {interrupted}\n{context}");
        Assert.Equal("KeyboardInterrupt", interrupted.GetProperty("ename").GetString());
        var elapsed = run.GetProperty("interrupt_elapsed").GetDouble();
        Assert.True(elapsed < 5.0, $"the execute_reply came {elapsed:F3} s after the interrupt through Jupyter Server\n{context}");
        Assert.Equal("42", Ok(run, "after_interrupt", context).GetProperty("result").GetString()); // an interrupt keeps the state

        // POST /api/kernels/{id}/restart through Jupyter Server: same kernel, fresh Lua state.
        var restart = run.GetProperty("restart_http");
        Assert.True(restart.GetProperty("status").GetInt32() == 200, $"restart: {restart}\n{context}");
        Assert.Equal(kernelId, restart.GetProperty("body").GetProperty("id").GetString());
        Assert.Equal("nil", Ok(run, "after_restart", context).GetProperty("result").GetString());
        Assert.Equal("42", Ok(run, "after_restart_works", context).GetProperty("result").GetString());

        // DELETE /api/kernels/{id} through Jupyter Server: gone from both.
        Assert.Equal(204, run.GetProperty("delete_http").GetProperty("status").GetInt32());
        Assert.DoesNotContain(kernelId, Strings(run.GetProperty("llmspell_after_delete")));
        Assert.Empty(Strings(run.GetProperty("jupyter_after_delete")));
        Assert.Equal(404, run.GetProperty("jupyter_get_after_delete").GetInt32());
        Assert.Equal(404, run.GetProperty("llmspell_get_after_delete").GetInt32());
        Assert.Single(await world.LlmSpellKernelIdsAsync()); // only the service's default kernel is left
        // Jupyter Server closed its two websockets to llmspell (the driver's two connections), the first while the
        // kernel ran on: nothing failed on llmspell.
        await world.AssertChannelsClosedCleanlyAsync(2);
    }

    [Fact]
    public async Task JupyterServer_NotebookSession_RunsItsKernelOnLlmSpell_AndDeletingTheSessionStopsIt()
    {
        await using var world = await GatewayWorld.StartAsync();
        var server = await world.StartFrontendAsync(JupyterFrontend.Kind.JupyterServer);

        var run = await world.RunDriverAsync("gateway_e2e.py", DriverTimeout, "session",
            server.BaseUrl.ToString(), server.Token, world.Service.BaseUrl.ToString(), world.Token);
        var context = run + "\n" + world.Describe();

        var create = run.GetProperty("create");
        Assert.True(create.GetProperty("status").GetInt32() == 201, $"POST /api/sessions: {create}\n{context}");
        var session = create.GetProperty("body");
        Assert.Equal("t.ipynb", session.GetProperty("path").GetString());
        Assert.Equal("notebook", session.GetProperty("type").GetString());
        Assert.Equal("llmspell", session.GetProperty("kernel").GetProperty("name").GetString());
        var kernelId = run.GetProperty("kernel_id").GetString()!;
        var sessionId = run.GetProperty("session_id").GetString()!;

        Assert.Contains(sessionId, run.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var onLlmSpell = run.GetProperty("llmspell_kernels").EnumerateArray().Where(k => k.GetProperty("id").GetString() == kernelId).ToArray();
        Assert.True(onLlmSpell.Length == 1, $"the session's kernel {kernelId} is not on llmspell\n{context}");
        Assert.False(onLlmSpell[0].GetProperty("default").GetBoolean(), context);

        var execute = Ok(run, "execute", context);
        Assert.Equal("from session\n", execute.GetProperty("stdout").GetString());
        Assert.Equal("42", execute.GetProperty("result").GetString());

        Assert.Equal(204, run.GetProperty("delete_http").GetProperty("status").GetInt32());
        Assert.Empty(run.GetProperty("sessions_after_delete").EnumerateArray());
        Assert.DoesNotContain(kernelId, Strings(run.GetProperty("llmspell_after_delete")));
        Assert.Empty(Strings(run.GetProperty("jupyter_after_delete")));
    }

    /// <summary>
    /// As deployed, Jupyter Server's notebook directory is its own (often another machine's): the KERNEL_WORKING_DIR
    /// its session sends lies outside llmspell's sandbox, and the kernel still starts (in the service's directory).
    /// </summary>
    [Fact]
    public async Task JupyterServer_WithItsNotebooksOutsideTheServiceDirectory_StillOpensASession()
    {
        await using var world = await GatewayWorld.StartAsync();
        using var elsewhere = new TempDir();
        var server = await world.StartFrontendAsync(JupyterFrontend.Kind.JupyterServer, elsewhere.Path);

        var run = await world.RunDriverAsync("gateway_e2e.py", DriverTimeout, "session",
            server.BaseUrl.ToString(), server.Token, world.Service.BaseUrl.ToString(), world.Token);
        var context = run + "\n" + world.Describe();

        var create = run.GetProperty("create");
        Assert.True(create.GetProperty("status").GetInt32() == 201, $"POST /api/sessions: {create}\n{context}");
        Check.Contains(elsewhere.Path, server.Log, context); // it did send its own directory: "'cwd': '/tmp/...'"
        Check.Contains("Starting the kernel in the service's working directory", world.Service.Stderr + world.Service.Stdout, context);
        Assert.Equal("42", Ok(run, "execute", context).GetProperty("result").GetString());
        Assert.DoesNotContain(run.GetProperty("kernel_id").GetString()!, Strings(run.GetProperty("llmspell_after_delete")));
    }

    [Fact]
    public async Task IdleKernelStartedThroughJupyterServer_IsCulledOnLlmSpell_AndLeavesJupyterServersList()
    {
        await using var world = await GatewayWorld.StartAsync("""
            [kernels]
            cull_idle_timeout = 2
            cull_interval = 1
            """);
        var server = await world.StartFrontendAsync(JupyterFrontend.Kind.JupyterServer);
        var defaultKernel = (await world.LlmSpellKernelsAsync()).Single(k => k.GetProperty("default").GetBoolean()).GetProperty("id").GetString()!;

        var model = await server.JsonAsync(HttpMethod.Post, "/api/kernels", HttpStatusCode.Created, """{"name": "llmspell"}""");
        var kernelId = model.GetProperty("id").GetString()!;
        Assert.Contains(kernelId, await world.LlmSpellKernelIdsAsync());
        Assert.Contains(kernelId, await JupyterKernelIdsAsync(server));

        // Nobody connects or executes: llmspell culls it after 2 s idle (checked every second). Polled four times a
        // second: every poll is a request to llmspell, which limits each client address (security.rate_limit_per_minute).
        await Wait.UntilAsync(async () => !(await world.LlmSpellKernelIdsAsync()).Contains(kernelId), TimeSpan.FromSeconds(30),
            $"llmspell to cull the idle kernel {kernelId}", world.Describe, PollInterval);
        // Jupyter Server notices on its next list from the gateway, and forgets the kernel.
        await Wait.UntilAsync(async () => !(await JupyterKernelIdsAsync(server)).Contains(kernelId), TimeSpan.FromSeconds(30),
            $"Jupyter Server's GET /api/kernels to drop the culled kernel {kernelId}", world.Describe, PollInterval);
        var (status, body) = await server.RequestAsync(HttpMethod.Get, $"/api/kernels/{kernelId}");
        Assert.True(status == HttpStatusCode.NotFound, $"Jupyter Server GET /api/kernels/{kernelId} after the cull: {(int)status} {body}\n{world.Describe()}");

        // The service's own default kernel is never culled.
        Assert.Equal([defaultKernel], await world.LlmSpellKernelIdsAsync());
    }

    private static async Task<string[]> JupyterKernelIdsAsync(JupyterFrontend server) =>
        (await server.JsonAsync(HttpMethod.Get, "/api/kernels", HttpStatusCode.OK)).EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToArray();

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// <summary>An execution step of the driver whose execute_reply was ok.</summary>
    private static JsonElement Ok(JsonElement run, string step, string context)
    {
        var ex = run.GetProperty(step);
        Assert.True(ex.GetProperty("reply").GetProperty("status").GetString() == "ok", $"{step} failed: {ex}\n{context}");
        return ex;
    }
}
