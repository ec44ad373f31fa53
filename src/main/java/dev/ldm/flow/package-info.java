/**
 * Rectified flow and its samplers, separate from any network. {@link dev.ldm.flow.RectifiedFlow}
 * owns the convention (t = 0 data, t = 1 noise, v = ε − x_0); training draws times from a
 * {@link dev.ldm.flow.TimestepSampler}; a {@link dev.ldm.flow.Sampler} integrates any
 * {@link dev.ldm.flow.VelocityField} along a {@link dev.ldm.flow.Schedule};
 * {@link dev.ldm.flow.ClassifierFreeGuidance} wraps the network as such a field.
 */
package dev.ldm.flow;
