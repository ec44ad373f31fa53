/**
 * ldm's own judge of generated images: a small CNN classifier trained on real images only
 * ({@link dev.ldm.judge.Classifier}), prompt accuracy (top-1/top-5) of generated images, Fréchet
 * distance in the classifier's feature space against real images with a real-vs-real floor, and
 * the VAE's reconstruction PSNR ({@link dev.ldm.eval.ModelEvaluator}).
 */
package dev.ldm.eval;

