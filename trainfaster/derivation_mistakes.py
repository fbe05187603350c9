"""The usual wrong derivations of chapters 6 and 7, as the values they give, for the exercises' test cells.

A student derives the batch-norm backward pass and the softmax's Jacobian and gradient in the exercises, so
the visible test cells must not show those formulas. The wrong answers they recognize (`mistakes=` of
`trainfaster.checks`) are computed here instead, each keyed by what a student who gave it should fix.
"""

import numpy as np


def normalization_backward_mistakes(Z, gamma, dZ_tilde, epsilon=1e-5, axis=1):
    """`{"dZ": {...}, "dgamma": {...}, "dbeta": {...}}` for batch norm (`axis=1`) or layer norm (`axis=0`)."""
    count = Z.shape[axis]
    std = np.sqrt(Z.var(axis=axis, keepdims=True) + epsilon)
    Z_norm = (Z - Z.mean(axis=axis, keepdims=True)) / std
    dZ_norm = gamma * dZ_tilde

    def mean(A, over=axis):
        return A.mean(axis=over, keepdims=True)

    def dZ_of(dZ_norm, over=axis):
        return (dZ_norm - mean(dZ_norm, over) - Z_norm * mean(dZ_norm * Z_norm, over)) / std

    right = dZ_of(dZ_norm)
    if axis == 1:
        size, group, other = "m", "row", ("units (axis=0)", "the m examples of each unit, so the sums of steps 2 "
                                          "and 4 run along axis=1")
    else:
        size, group, other = "n", "column", ("examples (axis=1), as batch norm does", "each example's, over its "
                                             "units, so the sums of steps 2 and 4 run along axis=0")
    dZ = {
        f"treats mu and var as constants: every Z_ij also moves the mean and the variance of its {group}.": dZ_norm / std,
        "misses the path through the variance (step 2).": (dZ_norm - mean(dZ_norm)) / std,
        "misses the path through the mean (step 4).": (dZ_norm - Z_norm * mean(dZ_norm * Z_norm)) / std,
        "forgets gamma: the gradient reaching Z_norm is gamma * dZ_tilde.": dZ_of(dZ_tilde),
        f"is {size} times too large: mu and var are means over {size} values, so the arrows into them carry "
        f"a 1/{size}.": count * right,
        "has the wrong sign.": -right,
        f"takes the means over the {other[0]}: the mean and the variance are {other[1]}.": dZ_of(dZ_norm, 1 - axis),
    }
    dZ.update(_wrong_arrows(Z - Z.mean(axis=axis, keepdims=True), std, dZ_norm, axis, size))
    dgamma = {
        "uses Z instead of Z_norm: dgamma sums dZ_tilde * Z_norm over the examples.": (dZ_tilde * Z).sum(axis=1, keepdims=True),
        "is a mean over the examples; it is a sum.": mean(dZ_tilde * Z_norm, 1),
    }
    dbeta = {"is a mean over the examples; it is a sum.": mean(dZ_tilde, 1)}
    return {"dZ": dZ, "dgamma": dgamma, "dbeta": dbeta}


def _wrong_arrows(Z_centered, std, dZ_norm, axis, size):
    """dZ with one arrow of the batch-norm graph (`trainfaster.batchnorm_graph`) wrong, each naming that arrow."""
    count = Z_centered.shape[axis]

    def walk(var_factor=-0.5, var_power=-3, into_var=2 / count, into_norm=None, mu_sign=-1, into_mu=1 / count):
        dvar = np.sum(dZ_norm * Z_centered, axis=axis, keepdims=True) * var_factor * std ** var_power   # step 2
        dZ_centered = dZ_norm * (1 / std if into_norm is None else into_norm) + dvar * into_var * Z_centered  # step 3
        dmu = mu_sign * np.sum(dZ_centered, axis=axis, keepdims=True)                                     # step 4
        return dZ_centered + dmu * into_mu                                                                # step 5

    var_arrow = "the arrow sigma^2 -> Z_norm, whose local derivative is -1/2 (Z_j - mu) s^-3"
    return {
        f"has the wrong sign on {var_arrow}: dJ/dsigma^2 (step 2) comes out with the wrong sign.": walk(var_factor=0.5),
        f"misses the 1/2 of {var_arrow} (step 2): d/dsigma^2 of (sigma^2 + eps)^(-1/2) is -1/2 (sigma^2 + eps)^(-3/2).":
            walk(var_factor=-1.0),
        f"uses the wrong power of s on {var_arrow} (step 2): (sigma^2 + eps)^(-3/2) is s^-3.": walk(var_power=-2),
        f"misses the 1/{size} on the arrow Z_j - mu -> sigma^2 (step 3): sigma^2 is a mean of {size} squares, so its "
        f"local derivative is 2 (Z_j - mu) / {size}.": walk(into_var=2.0),
        f"misses the 2 on the arrow Z_j - mu -> sigma^2 (step 3): the derivative of a square (Z_j - mu)^2 is "
        f"2 (Z_j - mu), divided by {size}.": walk(into_var=1 / count),
        "misses the 1/s on the arrow Z_j - mu -> Z_norm (step 3): Z_norm = (Z_j - mu) / s.": walk(into_norm=1.0),
        "has the wrong sign on the arrow mu -> Z_j - mu (step 4): its local derivative is -1, so dJ/dmu is minus the "
        "sum of the gradients reaching the centred values.": walk(mu_sign=1),
        f"misses the 1/{size} on the arrow Z_j -> mu (step 5): mu is a mean of {size} values.": walk(into_mu=1.0),
    }


def softmax_jacobian_mistakes(z):
    """The usual wrong Jacobians of the softmax at the column `z`, shape `(C, C)`."""
    e = np.exp(z - z.max())
    a = e / e.sum()
    right = np.diagflat(a) - a @ a.T
    return {
        "is only the diagonal a_k (1 - a_k): every a_k also depends on the other scores z_j, through the "
        "denominator, which gives the off-diagonal terms.": np.diagflat(a * (1 - a)),
        "misses the diagonal term: for k = j the quotient rule gives one more term than for k != j.": right - np.diagflat(a),
        "is diagonal: the denominator also depends on every z_j, which adds terms off the diagonal.": np.diagflat(a),
        "has the wrong sign.": -right,
        "uses a^T a (a number) where the outer product a a^T belongs: a has shape (C, 1), so a @ a.T.":
            np.diagflat(a) - (a.T @ a) * np.ones_like(right),
    }


def softmax_grad_mistakes(A, Y):
    """The usual wrong gradients dJ/dZ of the cross-entropy of `A = softmax(Z)` against `Y`, shape `(C, m)`."""
    m = Y.shape[1]
    return {
        "is m times too large: the cost averages over the m examples, so divide by m.": A - Y,
        "has the wrong sign: the gradient is the prediction minus the truth, not the other way round.": (Y - A) / m,
        "divides by C, the number of classes: divide by m, the number of examples (columns).": (A - Y) / Y.shape[0],
        "multiplies by the softmax's own derivative A (1 - A): carried through the softmax's whole Jacobian, the "
        "cross-entropy's -y/a cancels it.": A * (1 - A) * (A - Y) / m,
        "is -Y / (m A), the gradient with respect to A: carry on through the softmax's Jacobian to Z.":
            -Y / np.where(A > 0, A, 1.0) / m,
    }


def rmsnorm_backward_mistakes(Z, gamma, dZ_tilde, epsilon=1e-5):
    """`{"dZ": {...}, "dgamma": {...}}`: the usual wrong RMSNorm gradients (exercise 6), each keyed by what to fix.

    RMSNorm (`trainfaster.batchnorm.rmsnorm_forward`) divides each example (column) by the root mean square of its
    units; the gradient with respect to `Z` has a projection term (through the mean square), and no centring term.
    """
    n = Z.shape[0]
    rms = np.sqrt((Z**2).mean(axis=0, keepdims=True) + epsilon)
    Z_hat = Z / rms
    dZ_hat = gamma * dZ_tilde

    def dZ_of(d, over=0, scale=1.0 / n, sign=-1, centre=False):
        projection = Z_hat * (d * Z_hat).sum(axis=over, keepdims=True) * scale
        centred = d - d.mean(axis=over, keepdims=True) if centre else d
        return (centred + sign * projection) / rms

    right = dZ_of(dZ_hat)
    dZ = {
        "treats the root mean square as a constant: every Z_ij also moves the rms of its column (the term through "
        "the mean square is missing).": dZ_hat / rms,
        "subtracts a mean as layer norm's backward does: RMSNorm does not centre, so its gradient has no mean term, "
        "only the one through the mean square.": dZ_of(dZ_hat, centre=True),
        "takes the sum of the term through the mean square over the examples (axis=1): each rms is one example's, "
        "over its units (axis=0).": dZ_of(dZ_hat, over=1, scale=1.0 / Z.shape[1]),
        "misses the 1/n on the arrow into the mean square: it is a mean of n squares.": dZ_of(dZ_hat, scale=1.0),
        "forgets gamma: the gradient reaching Z_hat = Z / rms is gamma * dZ_tilde.": dZ_of(dZ_tilde),
        "has the wrong sign on the term through the mean square: a larger rms makes every Z_hat of its column "
        "smaller.": dZ_of(dZ_hat, sign=1),
        "has the wrong sign.": -right,
        "misses the 1/2 of d sqrt(u)/du = 1/(2 sqrt(u)) (or the 2 of d(Z^2)/dZ) in the term through the mean "
        "square.": dZ_of(dZ_hat, scale=2.0 / n),
    }
    dgamma = {
        "uses Z instead of Z_hat: dgamma sums dZ_tilde * Z_hat over the examples.": (dZ_tilde * Z).sum(axis=1, keepdims=True),
        "is a mean over the examples; it is a sum.": (dZ_tilde * Z_hat).mean(axis=1, keepdims=True),
        "multiplies by gamma: Z_tilde = gamma * Z_hat, so dgamma sums dZ_tilde * Z_hat alone.":
            (gamma * dZ_tilde * Z_hat).sum(axis=1, keepdims=True),
    }
    return {"dZ": dZ, "dgamma": dgamma}
