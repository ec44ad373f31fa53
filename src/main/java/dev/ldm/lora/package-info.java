/**
 * Low-rank adapters (LoRA, Hu et al. 2021) for the DiT: training them over frozen weights, their
 * file format, and merging them into the weights at load time (W' = W + weight·(alpha/rank)·B·A).
 */
package dev.ldm.lora;
