package transport

func poll() string { return "queryAsyncJobResult" }
