"""Makes the demo county's short recorded-lesson clips (webapp/services/demo/videos/*.mp4).

Run once by a developer, not at install or run time: it needs PyAV (`pip install av`), which
the project does not depend on; the clips it writes are committed. Each is two seconds of
H.264 (baseline profile, yuv420p, 160×90, 10 frames a second) in an MP4 with its index in
front (faststart), so a browser plays and seeks it: a coloured bar sweeping across a
background, a different colour per clip, small enough (a few KB) to keep in the repository.

    python tools/make_demo_videos.py
"""
from fractions import Fraction
from pathlib import Path

import av

WIDTH, HEIGHT, FPS, SECONDS = 160, 90, 10, 2
CLIPS = {"blackboard": ((32, 72, 56), (250, 240, 200)),     # 黑板绿, chalk
         "classroom": ((40, 60, 120), (255, 200, 60)),      # blue, gold
         "experiment": ((90, 40, 60), (120, 220, 255))}     # plum, light blue
OUT = Path(__file__).resolve().parent.parent / "webapp" / "services" / "demo" / "videos"


def frame_bytes(n: int, frames: int, background: tuple, bar: tuple) -> bytes:
    left = int((WIDTH - 24) * n / max(1, frames - 1))
    row = bytearray()
    for x in range(WIDTH):
        row += bytes(bar if left <= x < left + 24 else background)
    return bytes(row) * HEIGHT


def write(name: str, background: tuple, bar: tuple) -> Path:
    path = OUT / f"{name}.mp4"
    with av.open(str(path), "w", options={"movflags": "faststart"}) as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.time_base = Fraction(1, FPS)
        stream.options = {"profile": "baseline", "preset": "veryslow", "crf": "30"}
        frames = FPS * SECONDS
        for n in range(frames):
            frame = av.VideoFrame(WIDTH, HEIGHT, "rgb24")
            frame.planes[0].update(frame_bytes(n, frames, background, bar))
            frame.pts = n
            for packet in stream.encode(frame.reformat(format="yuv420p")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for clip, (background, bar) in CLIPS.items():
        made = write(clip, background, bar)
        print(f"{made}: {made.stat().st_size:,} bytes")
