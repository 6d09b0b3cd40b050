using System.Text;

namespace LlmSpell.Cli.Output;

/// <summary>Plain aligned text tables, as kubectl and systemctl print them.</summary>
public static class Table
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            sb.AppendLine(string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
        Line(headers);
        foreach (var row in all) Line(row);
        return sb.ToString();
    }

    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d{t.Hours}h"
            : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes}m"
            : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds}s"
            : $"{t.TotalSeconds:F0}s";
    }

    public static string Bytes(long bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):F1} GiB"
        : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):F1} MiB"
        : bytes >= 1 << 10 ? $"{bytes / 1024.0:F1} KiB"
        : $"{bytes} B";
}
