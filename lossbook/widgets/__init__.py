"""Live widgets for the course: sliders that show a loss change as its inputs move.

They work in JupyterLab, Jupyter Notebook and Colab, and on the static website without a
kernel (the book embeds each widget's state and serves the browser code itself). Display one
by making it the last expression of a code cell.

For authors: the embedded state includes each widget's browser code (the ``.js`` and ``.css``
files here), captured when the chapter executes. The book caches executed chapters, so after
editing those files rebuild from scratch (``jupyter-book clean --all .`` then ``make book``);
``tests/browser/test_widgets.py`` fails on a site built with older widget code.
"""

from .bernoulli_explorer import BernoulliExplorer
from .confidence_slider import ConfidenceSlider
from .focal_loss_explorer import FocalLossExplorer
from .similarity_matrix import SimilarityMatrix
from .softmax_explorer import SoftmaxExplorer
from .surprisal_text import SurprisalText
from .training_playground import TrainingPlayground

# Self-check questions
from .question import Question, Quiz, QuizProgress

__all__ = ["ConfidenceSlider", "BernoulliExplorer", "SoftmaxExplorer", "FocalLossExplorer", "TrainingPlayground", "SimilarityMatrix", "SurprisalText"]
__all__ += ["Quiz", "Question", "QuizProgress"]
