"""federated.vpn smoke test data: one synthetic classification problem, sliced.

    python fvpn_smoke_data.py --out FILE --part K --parts N

writes node K's slice (of N) as a headerless CSV: 20 features, then the label. Every node
slices the same problem (fixed seed); the researcher keeps the last HELD_OUT rows to
measure the aggregated models. Needs only numpy and scikit-learn.
"""
import argparse
import json
import os

FEATURES = 20
SAMPLES = 2000
HELD_OUT = 400
SEED = 123


def problem():
    from sklearn.datasets import make_classification
    return make_classification(n_samples=SAMPLES, n_features=FEATURES, n_informative=10, flip_y=0.01,
                               class_sep=1.0, random_state=SEED)


def held_out():
    x, y = problem()
    return x[SAMPLES - HELD_OUT:], y[SAMPLES - HELD_OUT:]


def main():
    import numpy as np
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', required=True)
    parser.add_argument('--part', type=int, required=True)
    parser.add_argument('--parts', type=int, required=True)
    args = parser.parse_args()
    x, y = problem()
    rows = (SAMPLES - HELD_OUT) // args.parts
    start = args.part * rows
    block = np.concatenate([x[start:start + rows], y[start:start + rows].reshape(-1, 1)], axis=1)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    np.savetxt(args.out, block, delimiter=',')
    print(json.dumps({'rows': int(rows), 'path': args.out}))


if __name__ == '__main__':
    main()
