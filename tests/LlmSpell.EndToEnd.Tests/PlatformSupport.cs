// The service runs on Linux and macOS only (signals, flock, setsid, file modes).
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
