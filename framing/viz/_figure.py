"""The figure every chart returns: a matplotlib Figure that shows itself in Jupyter.

The charts build their figures outside pyplot (nothing global to leak or close), so IPython's
matplotlib integration, which only knows pyplot's figures and needs ``%matplotlib inline``,
never sees them. This subclass carries its own PNG representation: a chart returned by a
``plot_*`` function, left as a cell's last value or passed to ``display``, is drawn in the
notebook and in any HTML made from it, with no magic.
"""

from __future__ import annotations

import io
import struct

import matplotlib as mpl
from matplotlib.figure import Figure

from framing.viz._theme import SAVE_RC

#: The notebook image is rendered at this multiple of the figure's dpi (sharp on HiDPI screens)
#: and shown at the figure's own size.
DISPLAY_SCALE = 2


class ChartFigure(Figure):
    """A :class:`matplotlib.figure.Figure` with a PNG representation for Jupyter."""

    def _repr_png_(self) -> tuple[bytes, dict[str, int]]:
        """The figure as PNG bytes and its display size in CSS pixels (IPython protocol)."""
        return render_png(self, scale=DISPLAY_SCALE)


def render_png(fig: Figure, *, scale: float = DISPLAY_SCALE) -> tuple[bytes, dict[str, int]]:
    """``fig`` as PNG bytes at ``scale`` times its dpi, with its size at 1x in pixels.

    Rendered with the theme's output settings (white background), without a "Software" entry,
    so the same figure gives the same bytes on every run.
    """
    buffer = io.BytesIO()
    with mpl.rc_context(SAVE_RC):
        fig.savefig(buffer, format="png", dpi=fig.dpi * scale, metadata={"Software": None})
    data = buffer.getvalue()
    # the pixel size, from the PNG header (IHDR: width and height, 4 bytes each)
    width, height = struct.unpack(">II", data[16:24])
    return data, {"width": int(round(width / scale)), "height": int(round(height / scale))}
