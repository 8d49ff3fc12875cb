// The `NeuralNetwork` module. See Package.swift for where it sits in the dependency graph.
