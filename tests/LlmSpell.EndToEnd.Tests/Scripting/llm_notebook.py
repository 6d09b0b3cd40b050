"""nbclient runs LLM cells through the installed llmspell kernelspec: streaming, tools, a parallel workflow and
state that outlives the kernel. Prints one JSON line: the outputs of every cell of both notebooks."""
import json
import sys

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

FIRST = [
    'agent = Agent.builder():model("openai/gpt-test"):build()',
    'agent:stream("hello streamed world")',
    '''Tool.define({ name = "add", description = "Add two numbers",
  parameters = { type = "object", properties = { a = {type = "number"}, b = {type = "number"} }, required = {"a", "b"} },
  handler = function(args) return args.a + args.b end })
r = Agent.builder():model("openai/gpt-test"):tools({"add"}):build():execute('[[call add {"a": 2, "b": 3}]]')
r.tool_calls[1].name .. "=" .. r.tool_calls[1].result''',
    '''local w = Workflow.builder():parallel()
  :add_step({ name = "a", agent = agent, input = "one" })
  :add_step({ name = "b", agent = Agent.builder():model("local/llama-test"):build(), input = "two" })
  :build():execute()
w.status .. " " .. w.outputs.a.text .. " / " .. w.outputs.b.text''',
    'State.save("notebook", "saved", {n = 42, words = {"a", "b"}})',
]
SECOND = ['local v = State.load("notebook", "saved") return v.n .. " " .. v.words[2]']


def run(sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "llmspell", "display_name": "LLMSpell (Lua)", "language": "lua"}
    NotebookClient(nb, timeout=60, kernel_name="llmspell", allow_errors=True).execute()
    return [c.outputs for c in nb.cells]


print(json.dumps({"first": run(FIRST), "second": run(SECOND)}, default=str))
