// Command goclouds drives any goclouds provider from the shell, serves the
// CloudStack simulator (goclouds sim) and runs a zero-setup demo
// (goclouds demo).
package main
