"""A one-line progress bar for management commands, drawn only on a terminal."""

import time


class Progress:
    """Counts up to total and redraws `label [#####.....] done/total` in place.

    stream is a management command's self.stdout (an OutputWrapper). Nothing is written when it
    is not a terminal, so logs, pipes and tests see only the summary. With unit="bytes" the
    figures are the part of a file read as it goes (`12.5/300.0 MB`).
    """

    WIDTH = 30
    INTERVAL = 0.1  # seconds between redraws

    def __init__(self, stream, total, label, unit=""):
        self.stream = stream
        self.total = total
        self.label = label
        self.unit = unit
        self.done = 0
        self.shown = stream.isatty() and total > 0
        self.drawn_at = 0.0
        self.drawn = -1  # the count last drawn

    def update(self, count=1):
        self.move_to(self.done + count)

    def move_to(self, done):
        """Set the count (for bytes: the position reached in the file)."""
        self.done = done
        if self.shown and (
            self.done >= self.total or time.monotonic() - self.drawn_at >= self.INTERVAL
        ):
            self.draw()

    def figures(self):
        if self.unit == "bytes":
            scale, unit = (1e6, "MB") if self.total >= 1e6 else (1e3, "kB")
            return f"{self.done / scale:.1f}/{self.total / scale:.1f} {unit}"
        return f"{self.done}/{self.total}"

    def draw(self):
        filled = self.WIDTH * min(self.done, self.total) // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.figures()}", ending="")
        self.stream.flush()
        self.drawn_at = time.monotonic()
        self.drawn = self.done

    def close(self):
        if self.shown:
            if self.drawn != self.done:
                self.draw()
            self.stream.write("")  # ends the line
