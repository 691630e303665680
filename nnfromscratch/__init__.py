"""nnfromscratch: neural networks from scratch in NumPy, the package written by the nnfromscratch book.

Each module is the code of one chapter (see book/): `data` (1), `logistic_regression` (2), `initialization` (3),
`forward` (4), `cost` (5), `backward` (6), `training` (7), `optimizers` (8), `regularization` (9), `cnn` (10),
`normalization` (11), `gradient_checking` (12). This file is written by hand and re-exports the names a user reaches for most;
everything else is one module away.
"""

__version__ = "0.1.0"

from .backward import L_model_backward, linear_activation_backward, linear_backward, relu_backward, sigmoid_backward
from .cnn import (Solver, ThreeLayerConvNet, conv_backward, conv_forward, max_pool_backward, max_pool_forward,
                  softmax_loss, svm_loss)
from .cost import (compute_cost, compute_cost_with_regularization, softmax_cross_entropy,
                   softmax_cross_entropy_from_scores, square_loss)
from .data import load_circles_dataset, load_dataset, load_digits_dataset, load_moons_dataset, make_rng
from .forward import L_model_forward, linear_activation_forward, linear_forward, relu, sigmoid, softmax
from .gradient_checking import eval_numerical_gradient, eval_numerical_gradient_array, gradient_check_n, rel_error
from .initialization import (initialize_parameters, initialize_parameters_deep, initialize_parameters_glorot,
                             initialize_parameters_he, initialize_parameters_xavier)
from .logistic_regression import (initialize_with_zeros, logistic_regression_model, optimize, predict_logistic,
                                  propagate)
from .normalization import (FullyConnectedNet, batchnorm_backward, batchnorm_backward_alt, batchnorm_forward,
                            layernorm_backward, layernorm_forward, spatial_batchnorm_backward, spatial_batchnorm_forward,
                            spatial_groupnorm_backward, spatial_groupnorm_forward)
from .optimizers import GD, AdaGrad, Adam, Momentum, RMSProp, random_mini_batches, train_with_optimizer, \
    update_parameters_with_adam, update_parameters_with_momentum
from .regularization import (L_model_backward_with_dropout, L_model_forward_with_dropout,
                             backward_propagation_with_dropout, backward_propagation_with_regularization,
                             dropout_backward, dropout_forward, forward_propagation_with_dropout, load_parameters,
                             regularized_model, reseeded_rng, save_parameters, three_layer_forward)
from .training import FC, CrossEntropyLoss, L_layer_model, Net, SquareLoss, accuracy, predict, two_layer_model, \
    update_parameters

__all__ = [
    "__version__",
    # chapter 1
    "load_dataset", "load_digits_dataset", "load_circles_dataset", "load_moons_dataset", "make_rng",
    # chapter 2
    "initialize_with_zeros", "propagate", "optimize", "predict_logistic", "logistic_regression_model",
    # chapter 3
    "initialize_parameters", "initialize_parameters_deep", "initialize_parameters_he", "initialize_parameters_xavier",
    "initialize_parameters_glorot",
    # chapter 4
    "sigmoid", "relu", "softmax", "linear_forward", "linear_activation_forward", "L_model_forward",
    # chapter 5
    "compute_cost", "compute_cost_with_regularization", "softmax_cross_entropy", "softmax_cross_entropy_from_scores",
    "square_loss",
    # chapter 6
    "relu_backward", "sigmoid_backward", "linear_backward", "linear_activation_backward", "L_model_backward",
    # chapter 7
    "update_parameters", "L_layer_model", "two_layer_model", "predict", "accuracy",
    "FC", "SquareLoss", "CrossEntropyLoss", "Net",
    # chapter 8
    "random_mini_batches", "update_parameters_with_momentum", "update_parameters_with_adam", "train_with_optimizer",
    "GD", "Momentum", "RMSProp", "Adam", "AdaGrad",
    # chapter 9
    "three_layer_forward", "backward_propagation_with_regularization", "forward_propagation_with_dropout",
    "backward_propagation_with_dropout", "L_model_forward_with_dropout", "L_model_backward_with_dropout",
    "dropout_forward", "dropout_backward", "regularized_model", "reseeded_rng", "save_parameters", "load_parameters",
    # chapter 10
    "conv_forward", "conv_backward", "max_pool_forward", "max_pool_backward", "softmax_loss", "svm_loss",
    "ThreeLayerConvNet", "Solver",
    # chapter 11
    "batchnorm_forward", "batchnorm_backward", "batchnorm_backward_alt", "layernorm_forward", "layernorm_backward",
    "spatial_batchnorm_forward", "spatial_batchnorm_backward", "spatial_groupnorm_forward", "spatial_groupnorm_backward",
    "FullyConnectedNet",
    # chapter 12
    "gradient_check_n", "eval_numerical_gradient", "eval_numerical_gradient_array", "rel_error",
]
