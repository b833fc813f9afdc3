// Loss formulas shared by the course widgets. Prepended to each widget's module in Python, so
// the formulas exist once. They follow lossbook's definitions and are written to stay accurate
// where the naive formula loses digits (log1p near p = 0, log-sum-exp for softmax), because the
// page shows the same numbers as the book's Python code to 1e-12.

/**
 * Loss of a prediction that gives the true class probability p: -ln p (Infinity at p = 0).
 * @param {number} p probability in [0, 1]
 * @returns {number}
 */
function negLog(p) {
  return p === 0 ? Infinity : -Math.log(p);
}

/**
 * Binary cross-entropy -[y ln p + (1-y) ln(1-p)] in nats. A term whose weight is 0 counts as 0
 * (0 ln 0 = 0), so p = 0 with y = 0 gives 0, never NaN.
 * @param {number} p predicted probability of the positive class, in [0, 1]
 * @param {number} y label in [0, 1]
 * @returns {number}
 */
function binaryCrossEntropy(p, y) {
  let loss = 0;
  if (y > 0) loss += y * negLog(p);
  if (y < 1) loss += (1 - y) * (p === 1 ? Infinity : -Math.log1p(-p));
  return loss;
}

/**
 * Bernoulli likelihood p^y (1-p)^(1-y); 0^0 is 1, as in the formula's limit.
 * @param {number} p
 * @param {number} y
 * @returns {number}
 */
function bernoulliLikelihood(p, y) {
  return Math.pow(p, y) * Math.pow(1 - p, 1 - y);
}

/**
 * Logistic sigmoid 1 / (1 + e^-z), evaluated so that exp never overflows.
 * @param {number} z
 * @returns {number}
 */
function sigmoid(z) {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Log-odds ln(p / (1 - p)).
 * @param {number} p in (0, 1)
 * @returns {number}
 */
function logit(p) {
  return Math.log(p) - Math.log1p(-p);
}

/**
 * Softmax probabilities, cross-entropy and its gradient for one row of logits.
 * The loss is log-sum-exp(z) - z[target], written as
 * log1p(sum of e^(z_j - max) over j other than the arg-max) + (max - z[target]),
 * which never overflows and keeps full relative precision when the loss is tiny.
 * @param {number[]} z logits
 * @param {number} target index of the true class
 * @returns {{probabilities: number[], loss: number, gradient: number[]}}
 */
function softmaxCrossEntropy(z, target) {
  let top = 0;
  for (let j = 1; j < z.length; j++) if (z[j] > z[top]) top = j;
  const m = z[top];
  const shifted = z.map((v) => Math.exp(v - m));
  let rest = 0;
  for (let j = 0; j < z.length; j++) if (j !== top) rest += shifted[j];
  const total = 1 + rest;
  const probabilities = shifted.map((e) => e / total);
  const loss = Math.log1p(rest) + (m - z[target]);
  const gradient = probabilities.map((q, j) => q - (j === target ? 1 : 0));
  return { probabilities, loss, gradient };
}

/**
 * Focal loss of one example whose true class has probability p: -alpha (1-p)^gamma ln p
 * (Lin et al., 2017). alpha is the weight of the example's class. A factor of 0 makes the
 * loss 0 even where ln p is infinite (alpha = 0 at p = 0), as a term of weight 0 does in
 * binaryCrossEntropy; 0^0 is 1, so gamma = 0 at p = 1 gives 0.
 * @param {number} p probability of the true class, in [0, 1]
 * @param {number} gamma focusing parameter, at least 0
 * @param {number} alpha class weight, in [0, 1]
 * @returns {number}
 */
function focalLoss(p, gamma, alpha) {
  const weight = alpha * Math.pow(1 - p, gamma);
  return weight === 0 ? 0 : weight * negLog(p);
}
