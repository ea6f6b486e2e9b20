package csapi

//go:generate go run ./internal/specgen
