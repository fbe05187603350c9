"""Controls and read-outs shared by the explorables of chapters 4 to 7 (engineer x-b's modules).

Everything a figure shows is computed here in Python, from `trainfaster`; the browser only picks among the
precomputed arrays and strings. An `index_slider` moves over the positions of a grid of knob values (a
log-spaced grid cannot be a linear slider): a Bokeh `CategoricalSlider` whose categories are the knob's values
formatted here, so its title shows the real value ("Temperature T: 0.316"), and so does its handle's
`aria-valuetext` for a screen reader. A callback finds the position with `slider.categories.indexOf(slider.value)`.
"""

import numpy as np
from bokeh.models import CategoricalSlider, Div

from explorables import LIVE

def index_slider(title, labels, value, name):
    """A slider over the grid positions `0 .. len(labels) - 1` of a knob, starting at position `value`; it shows
    (and its `value` is) the label of its position.

    Keyboard: focus the handle (Tab), then the arrow keys move one grid position, Page Up / Down several.
    """
    labels = [str(label) for label in labels]
    if not 0 <= value < len(labels):
        raise ValueError(f"index_slider {name!r}: the default position {value} is outside 0 .. {len(labels) - 1}.")
    if len(set(labels)) != len(labels):
        raise ValueError(f"index_slider {name!r}: two positions share a label: {labels}.")
    return CategoricalSlider(categories=labels, value=labels[value], title=title, name=name,
                             sizing_mode="stretch_width")


def readout(text, name):
    """A line of text under a figure that states, in numbers, what the figure shows at the current setting."""
    return Div(text=text, name=name, sizing_mode="stretch_width", styles={"font-size": "0.95em"}, tags=[LIVE])


def compact(values):
    """`values` as float32 for the page: the explorables' data stay tens of KB (the tests compare at 1e-6)."""
    return np.asarray(values, dtype=np.float32)
