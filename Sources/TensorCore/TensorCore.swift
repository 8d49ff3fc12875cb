// TensorCore: Float32 tensors with reverse-mode autodiff on oneDNN 2.6.
