namespace LlmSpell.Lua.Tests;

/// <summary>An error value's __tostring is user code: it runs under the cell's limits, like the cell itself.</summary>
public class ErrorValueTests
{
    [Fact]
    public void An_error_object_with_a_looping_tostring_is_stopped_by_the_instruction_limit()
    {
        var s = Lua.NewSession(instructions: 200_000);
        var error = Lua.Bounded(() => s.Fails("error(setmetatable({}, {__tostring = function() while true do end end}))"), "the failing cell");
        Assert.Equal("InstructionLimitError", error.Name);
        Assert.Equal("2", s.Ok("1 + 1"));
        s.Dispose();
    }

    [Fact]
    public async Task An_error_object_with_a_looping_tostring_is_stopped_by_an_interrupt()
    {
        var s = Lua.NewSession();
        var run = Task.Factory.StartNew(() => s.Fails("error(setmetatable({}, {__tostring = function() while true do end end}))"),
            TaskCreationOptions.LongRunning);
        await Task.Delay(300);
        s.Interrupt();
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5))) == run, "the interrupt did not stop the error's __tostring");
        Assert.Equal(Lua.InterruptName, (await run).Name);
        s.Dispose();
    }

    [Fact]
    public void An_error_object_with_a_plain_tostring_is_still_described_by_it()
    {
        var s = Lua.NewSession();
        var error = s.Fails("error(setmetatable({}, {__tostring = function() return 'custom failure' end}))");
        Assert.Contains("custom failure", error.Value);
        s.Dispose();
    }
}
