"""The pure core: what answers mean, as functions on pandas frames. No Django, no I/O,
so it can be read, tested and benchmarked on its own (a test keeps it so)."""
