using System.Net.Http.Headers;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Security;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Browser;

/// <summary>Swagger UI of the real binary in headless Chromium: Authorize with the token, then Try it out works.</summary>
public sealed class SwaggerUiTests
{
    [Fact]
    public async Task Authorize_with_the_token_turns_list_kernels_from_401_into_200_with_the_default_kernel()
    {
        BrowserScript.RequireBrowser();
        await using var service = await SecuredService.StartAsync();
        var token = service.Token;
        var defaultKernel = await DefaultKernelIdAsync(service, token);
        var screenshot = Path.Combine(BrowserScript.ScreenshotDirectory, $"swagger-authorized-{service.BaseUrl.Port}.png");
        File.Delete(screenshot);

        var result = await BrowserScript.RunAsync("swagger_authorize.py", [service.BaseUrl.ToString(), defaultKernel, screenshot], stdin: token + "\n");
        Check.DoesNotContain(token, result.Output, "the browser script's output must not show the token");
        Check.ExitCode(0, result);
        var run = Check.Json(result.Stdout.Trim().Split('\n').Last(), result);

        var before = run.GetProperty("before");
        Assert.True(before.GetProperty("status").ValueKind == JsonValueKind.Number && before.GetProperty("status").GetInt32() == 401,
            $"before Authorize, Try it out should show 401\n{result}");
        Check.Contains("Unauthorized", before.GetProperty("body").GetString()!, result);

        var after = run.GetProperty("after");
        Assert.True(after.GetProperty("status").ValueKind == JsonValueKind.Number && after.GetProperty("status").GetInt32() == 200,
            $"after Authorize, Try it out should show 200\n{result}");
        var kernels = Check.Json(after.GetProperty("body").GetString()!, result);
        var listed = kernels.EnumerateArray().Single(k => k.GetProperty("default").GetBoolean());
        Assert.Equal(defaultKernel, listed.GetProperty("id").GetString());

        Assert.True(File.Exists(screenshot), $"no screenshot at {screenshot}\n{result}");
        var (width, height) = Png.Size(await File.ReadAllBytesAsync(screenshot), screenshot);
        Assert.True(width > 100 && height > 100, $"the screenshot {screenshot} is {width}x{height}");
    }

    private static async Task<string> DefaultKernelIdAsync(SecuredService service, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service.BaseUrl, "/api/kernels"));
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var response = await service.Http.SendAsync(request);
        var kernels = Check.Json(await response.Content.ReadAsStringAsync(), $"GET /api/kernels: {(int)response.StatusCode}");
        return kernels.EnumerateArray().Single(k => k.GetProperty("default").GetBoolean()).GetProperty("id").GetString()!;
    }
}
