// Package dummy is an in-memory compute provider for tests.
package dummy
