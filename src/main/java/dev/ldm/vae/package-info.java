/**
 * Stage one of latent diffusion: ldm's own convolutional KL autoencoder ({@link dev.ldm.vae.Autoencoder},
 * trained by {@link dev.ldm.vae.VaeTrainer}), its ONNX export ({@link dev.ldm.vae.VaeOnnxExport}), and
 * the ONNX Runtime wrappers ({@link dev.ldm.vae.VaeEncoder}, {@link dev.ldm.vae.VaeDecoder}) through
 * which the pipeline uses it or any diffusers-layout VAE export, plus the latent normalisation
 * ({@link dev.ldm.vae.LatentNormalization}).
 */
package dev.ldm.vae;
