package main

import (
	"fmt"
	"os"
)

const usage = `usage:
  bench run [flags]                                  run every workload, write the report
  bench client goclouds|raw WORKLOAD [flags]         one client process (used by run)

Run "bench run -h" or "bench client goclouds -h" for the flags.`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "run":
		err = runMain(os.Args[2:])
	case "client":
		err = clientMain(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
