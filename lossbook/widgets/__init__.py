"""Live widgets for the course: sliders that show a loss change as its inputs move.

They work in JupyterLab, Jupyter Notebook and Colab, and on the static website without a
kernel (the book embeds each widget's state and serves the browser code itself). Display one
by making it the last expression of a code cell.
"""

from .bernoulli_explorer import BernoulliExplorer
from .confidence_slider import ConfidenceSlider
from .softmax_explorer import SoftmaxExplorer

__all__ = ["ConfidenceSlider", "BernoulliExplorer", "SoftmaxExplorer"]
