"""trainfaster: the library of the course "Training deep networks faster".

Everything the book, the exercises and the hidden tests share lives here once:

- `data`: the data sets (a seeded two-moons generator, ...);
- `network`: the L-layer network of the whole course and its `train` loop;
- `minibatch`: chapter 1's reference implementations;
- `frameworks`: chapter 8's reference implementations, in PyTorch;
- `plotting`: the shared figure style;
- `checks`: the assertion helpers the exercise notebooks use.
"""

__version__ = "0.1.0"
