"""Exercise 7's derive tasks: the first cost of a confident model, and the gradient it sends to its scores."""

import math

from autograder.tasks import Task, Value

SLUG = "07_softmax_regression"


def _den(p):
    """The softmax's denominator when one class scores `scale` and the other C - 1 score 0."""
    return math.exp(p["scale"]) + p["C"] - 1


TASKS = [
    Task(SLUG, "confident_cost", ("C", "scale"), [
        Value("cost_right", lambda p: math.log(_den(p)) - p["scale"], rtol=5e-4,
              mistakes=lambda p: [(math.log(p["C"]), "that is the cost of equal scores; here the true class scores "
                                  "`scale` above the others."),
                                  (math.log(math.exp(p["scale"]) + p["C"]) - p["scale"], "the denominator sums C "
                                  "exponentials: e**scale once and e**0 = 1 for the C - 1 others, not C of them."),
                                  (math.exp(p["scale"]) / _den(p), "that is the probability of the true class; the "
                                  "cost is minus its logarithm."),
                                  ((math.log(_den(p)) - p["scale"]) / math.log(10), "the cost uses the natural "
                                  "logarithm."),
                                  ((p["C"] - 1) * math.exp(-p["scale"]), "that is a first-order approximation of the "
                                  "logarithm; give the exact cost.")],
              hint="Write the softmax probability of the true class, then the cost -log of it."),
        Value("cost_wrong", lambda p: math.log(_den(p)), rtol=5e-4,
              mistakes=lambda p: [(math.log(p["C"]), "that is the cost of equal scores; here one wrong class scores "
                                  "`scale` above the others."),
                                  (p["scale"] + math.log(p["C"]), "the denominator holds e**scale once and e**0 = 1 "
                                  "C - 1 times; it is not C e**scale."),
                                  (math.log(math.exp(p["scale"]) + p["C"]), "the denominator sums C exponentials: "
                                  "e**scale once and e**0 = 1 for the C - 1 others."),
                                  (1 / _den(p), "that is the probability of the true class; the cost is minus its "
                                  "logarithm."),
                                  (math.log(_den(p)) / math.log(10), "the cost uses the natural logarithm.")],
              hint="The true class now scores 0 like C - 2 others: write its probability, then -log of it."),
    ]),
    Task(SLUG, "confident_gradient", ("C", "scale"), [
        Value("dz_true", lambda p: 1 / _den(p) - 1, rtol=2e-3,
              mistakes=lambda p: [(1 - 1 / _den(p), "that is Y - A: the gradient is A - Y, prediction minus truth."),
                                  (1 / _den(p), "that is the true class's probability a; its label y = 1 is "
                                  "subtracted: a - y."),
                                  (-_den(p), "that is -y / a, the gradient with respect to a, not to its score z."),
                                  ((1 / _den(p)) * (1 - 1 / _den(p)), "that is the softmax's own derivative "
                                  "a (1 - a); with the cross-entropy it cancels.")],
              hint="The gradient of the cost with respect to the scores of one example, from section 5."),
        Value("dz_wrong", lambda p: math.exp(p["scale"]) / _den(p), rtol=2e-3,
              mistakes=lambda p: [(-math.exp(p["scale"]) / _den(p), "that is Y - A: the gradient is A - Y."),
                                  (math.exp(p["scale"]) / _den(p) - 1, "that class is not the true one: its y is 0."),
                                  ((math.exp(p["scale"]) / _den(p)) * (1 - math.exp(p["scale"]) / _den(p)), "that is "
                                  "the softmax's own derivative a (1 - a); with the cross-entropy it cancels."),
                                  (1.0, "a probability of 1 leaves nothing for the C - 1 other classes, which score 0, "
                                   "not minus infinity: each keeps some probability.")],
              hint="The same gradient, for the class that scores `scale`."),
    ]),
]
