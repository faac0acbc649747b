"""What bench/applied.py and bench/restored.py ask of the process they watch, from /proc (Linux)."""
import os


def _stat(pid):
    return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # the fields after the command's name


def alive(pid):
    """Whether the process runs: it exists and is not a zombie."""
    try:
        os.kill(int(pid), 0)
    except OSError:
        return False
    return _stat(pid)[0] != "Z"


def cpu_seconds(pid):
    """The CPU the process has used so far, user and system, in seconds."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, in clock ticks
