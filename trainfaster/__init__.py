"""trainfaster: the library of the course "Training deep networks faster".

Everything the book, the exercises and the hidden tests share lives here once:

- `data`: the data sets (a seeded two-moons generator, Seattle temperatures);
- `network`: the L-layer network of the whole course and its `train` loop;
- `minibatch`: chapter 1's reference implementations;
- `ewa`: chapter 2's (exponentially weighted averages);
- `optimizers`: chapter 3's (momentum, RMSProp, Adam); `fast_optimizers`: the same, in place (see "How fast is it?");
- `schedules`: chapter 4's learning-rate schedules;
- `tuning`: chapter 5's hyperparameter-search tools;
- `batchnorm` and `bn_network`: chapter 6's reference implementations and the network with batch norm (or layer
  norm); `batchnorm_graph`: its computation graph, drawn;
- `softmax` and `softmax_network`: chapter 7's reference implementations and the network with a softmax output;
- `frameworks`: chapter 8's reference implementations, in PyTorch;
- `plotting`: the shared figure style;
- `checks`: the assertion helpers the exercise notebooks use; `derivation_mistakes` and `mistakes_NN`: the wrong
  answers their visible tests recognize, computed from the answers and so kept out of the notebooks (the student
  package ships them as values);
- `variants`: each student's own numbers for the derive and predict tasks; `predictions`: their visible checks
  (an answer of the right kind was committed), which know no answer.
"""

__version__ = "0.1.0"
