using System.Globalization;
using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Files;

/// <summary>file-operations: read, write, append, list, exists, info, delete and mkdir, confined to the working directory.</summary>
internal sealed class FileOperationsTool : SynchronousTool
{
    public const int MaxListEntries = 10_000;

    public override string Name => "file-operations";

    public override string Description =>
        "Files inside the working directory (paths are relative to it; absolute paths, '..' and symbolic links that leave it " +
        "are refused). operation: read, write (replaces), append, list (a directory's entries), exists, info, delete " +
        "(recursive for a non-empty directory), mkdir (with parents). Content is UTF-8 text, or base64 with encoding \"base64\".";

    public override string ParametersJsonSchema => """
        {
          "type": "object",
          "properties": {
            "operation": { "type": "string", "enum": ["read", "write", "append", "list", "exists", "info", "delete", "mkdir"] },
            "path": { "type": "string", "description": "Relative to the working directory; \".\" is the directory itself." },
            "content": { "type": "string", "description": "write, append: what to write." },
            "encoding": { "type": "string", "enum": ["utf8", "base64"], "description": "How content is (or read returns it) written; default utf8." },
            "create_dirs": { "type": "boolean", "description": "write, append: create missing parent directories; default false." },
            "recursive": { "type": "boolean", "description": "delete: also a directory that is not empty; default false." }
          },
          "required": ["operation", "path"],
          "additionalProperties": false
        }
        """;

    protected override JsonObject Run(ToolArguments arguments, ToolContext context)
    {
        var operation = arguments.RequireString("operation");
        var requested = arguments.RequireString("path");
        Sandbox sandbox;
        string path;
        try
        {
            sandbox = new Sandbox(context.WorkingDirectory);
            path = sandbox.Resolve(requested, followFinalLink: operation != "delete");
        }
        catch (SandboxError e)
        {
            throw arguments.Error(e.Message + ".");
        }

        var files = new FileActions(arguments, sandbox, path, context.MaxFileBytes);
        try
        {
            return operation switch
            {
                "read" => files.Read(arguments.String("encoding", "utf8")),
                "write" => files.Write(Content(arguments), append: false, arguments.Boolean("create_dirs", false)),
                "append" => files.Write(Content(arguments), append: true, arguments.Boolean("create_dirs", false)),
                "list" => files.List(),
                "exists" => files.Exists(),
                "info" => files.Info(),
                "delete" => files.Delete(arguments.Boolean("recursive", false)),
                _ => files.MakeDirectory(),
            };
        }
        catch (UnauthorizedAccessException)
        {
            throw arguments.Error($"permission denied for '{sandbox.Display(path)}'.");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw arguments.Error($"'{sandbox.Display(path)}' (or its directory) does not exist.");
        }
        catch (IOException e)
        {
            throw arguments.Error($"{operation} of '{sandbox.Display(path)}' failed: {e.Message}");
        }
    }

    private static byte[] Content(ToolArguments arguments) =>
        ByteEncodings.Decode(arguments, "content", arguments.RequireString("content"), arguments.String("encoding", "utf8"));

    /// <summary>The operations on one resolved path.</summary>
    private sealed class FileActions(ToolArguments arguments, Sandbox sandbox, string path, long maxFileBytes)
    {
        private string Shown => sandbox.Display(path);

        public JsonObject Read(string encoding)
        {
            if (Directory.Exists(path)) throw arguments.Error($"'{Shown}' is a directory; use operation list.");
            if (!File.Exists(path)) throw NotFound();
            var length = new FileInfo(path).Length;
            if (length > maxFileBytes) throw OverCap("is", length, "read a smaller file");
            var bytes = ReadCapped();
            return new JsonObject
            {
                ["result"] = ByteEncodings.Encode(arguments, bytes, encoding, "encoding", "base64"),
                ["path"] = Shown,
                ["size"] = bytes.Length,
            };
        }

        public JsonObject Write(byte[] content, bool append, bool createDirectories)
        {
            if (Directory.Exists(path)) throw arguments.Error($"'{Shown}' is a directory, not a file.");
            var existing = append && File.Exists(path) ? new FileInfo(path).Length : 0;
            if (existing + content.Length > maxFileBytes)
                throw OverCap("would be", existing + content.Length, append ? "append less, or write to another file" : "write less");

            var directory = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(directory))
            {
                if (!createDirectories)
                    throw arguments.Error($"the directory '{sandbox.Display(directory)}' does not exist; create it with mkdir or set create_dirs to true.");
                Directory.CreateDirectory(directory);
            }
            using (var stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write))
                stream.Write(content);
            return new JsonObject { ["result"] = true, ["path"] = Shown, ["bytes_written"] = content.Length, ["size"] = existing + content.Length };
        }

        public JsonObject List()
        {
            if (File.Exists(path)) throw arguments.Error($"'{Shown}' is a file; use operation read or info.");
            if (!Directory.Exists(path)) throw NotFound();
            var infos = new DirectoryInfo(path).EnumerateFileSystemInfos().Take(MaxListEntries + 1).ToList();
            var entries = infos.Take(MaxListEntries).OrderBy(i => i.Name, StringComparer.Ordinal).Select(Entry);
            return new JsonObject
            {
                ["result"] = new JsonArray([.. entries]),
                ["path"] = Shown,
                ["truncated"] = infos.Count > MaxListEntries,
            };
        }

        public JsonObject Exists() => new()
        {
            ["result"] = File.Exists(path) || Directory.Exists(path),
            ["type"] = TypeOf(path),
            ["path"] = Shown,
        };

        public JsonObject Info()
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (!info.Exists) throw NotFound();
            var entry = Entry(info);
            entry["path"] = Shown;
            return new JsonObject { ["result"] = entry };
        }

        public JsonObject Delete(bool recursive)
        {
            if (path == sandbox.Root) throw arguments.Error("the working directory itself cannot be deleted; delete what is inside it.");
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || File.Exists(path))
            {
                info.Delete(); // a symbolic link goes, never its target
                return Deleted(true);
            }
            if (!Directory.Exists(path)) return Deleted(false);
            if (!recursive && Directory.EnumerateFileSystemEntries(path).Any())
                throw arguments.Error($"the directory '{Shown}' is not empty; set recursive to true to delete it with its contents.");
            Directory.Delete(path, recursive); // does not follow symbolic links inside it
            return Deleted(true);
        }

        public JsonObject MakeDirectory()
        {
            if (File.Exists(path)) throw arguments.Error($"'{Shown}' is a file, not a directory.");
            var existed = Directory.Exists(path);
            Directory.CreateDirectory(path);
            return new JsonObject { ["result"] = true, ["created"] = !existed, ["path"] = Shown };
        }

        private byte[] ReadCapped()
        {
            // The size was checked; the file may still grow while it is read.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                if (buffer.Length + read > maxFileBytes) throw OverCap("grew to", buffer.Length + read, "read a smaller file");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }

        private JsonObject Deleted(bool deleted) => new() { ["result"] = deleted, ["path"] = Shown };

        private static JsonObject Entry(FileSystemInfo info)
        {
            var entry = new JsonObject { ["name"] = info.Name, ["type"] = TypeOf(info) };
            if (info is FileInfo file && info.LinkTarget is null) entry["size"] = file.Length;
            entry["modified"] = info.LastWriteTimeUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return entry;
        }

        private static string? TypeOf(string path) =>
            Directory.Exists(path) ? "directory" : File.Exists(path) ? "file" : null;

        private static string TypeOf(FileSystemInfo info) =>
            info.LinkTarget is not null ? "symlink" : info is DirectoryInfo ? "directory" : "file";

        private ToolException NotFound() => arguments.Error($"'{Shown}' does not exist.");

        private ToolException OverCap(string verb, long size, string fix) =>
            arguments.Error($"'{Shown}' {verb} {size} bytes, over the {maxFileBytes}-byte file size cap; {fix}.");
    }
}
