"""A one-line progress bar for management commands, drawn only on a terminal."""

import time


class Progress:
    """Counts up to total and redraws `label [#####.....] done/total` in place.

    stream is a management command's self.stdout (an OutputWrapper). Nothing is written when it
    is not a terminal, so logs, pipes and tests see only the summary.
    """

    WIDTH = 30
    INTERVAL = 0.1  # seconds between redraws

    def __init__(self, stream, total, label):
        self.stream = stream
        self.total = total
        self.label = label
        self.done = 0
        self.shown = stream.isatty() and total > 0
        self.drawn_at = 0.0
        self.drawn = -1  # the count last drawn

    def update(self, count=1):
        self.done += count
        if self.shown and (
            self.done >= self.total or time.monotonic() - self.drawn_at >= self.INTERVAL
        ):
            self.draw()

    def draw(self):
        filled = self.WIDTH * min(self.done, self.total) // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}", ending="")
        self.stream.flush()
        self.drawn_at = time.monotonic()
        self.drawn = self.done

    def close(self):
        if self.shown:
            if self.drawn != self.done:
                self.draw()
            self.stream.write("")  # ends the line
