using System.Runtime.Versioning;

// PID locks, posix_spawn, file modes and service managers are POSIX concepts; Windows is out of scope.
[assembly: UnsupportedOSPlatform("windows")]
