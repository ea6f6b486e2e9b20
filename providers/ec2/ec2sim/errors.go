package ec2sim

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
)

// Error is an EC2 API error: the code and message of the answer's error
// document and its HTTP status.
type Error struct {
	// Status is the HTTP status (400 for client errors).
	Status int
	// Code is the EC2 error code, e.g. "InvalidInstanceID.NotFound".
	Code string
	// Message is the human-readable message.
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// errorf returns a client error (HTTP 400) with code and a formatted message.
func errorf(code, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error codes the simulator answers with, as EC2 spells them.
const (
	CodeAuthFailure                 = "AuthFailure"
	CodeDryRunOperation             = "DryRunOperation"
	CodeIdempotentParameterMismatch = "IdempotentParameterMismatch"
	CodeIncorrectInstanceState      = "IncorrectInstanceState"
	CodeIncorrectState              = "IncorrectState"
	CodeInstanceLimitExceeded       = "InstanceLimitExceeded"
	CodeInternalError               = "InternalError"
	CodeInvalidAction               = "InvalidAction"
	CodeInvalidParameterCombination = "InvalidParameterCombination"
	CodeInvalidParameterValue       = "InvalidParameterValue"
	CodeMissingAction               = "MissingAction"
	CodeMissingAuthenticationToken  = "MissingAuthenticationToken"
	CodeMissingParameter            = "MissingParameter"
	CodeRequestExpired              = "RequestExpired"
	CodeRequestLimitExceeded        = "RequestLimitExceeded"
	CodeUnauthorizedOperation       = "UnauthorizedOperation"
	CodeUnknownParameter            = "UnknownParameter"
	CodeUnsupportedOperation        = "UnsupportedOperation"
)

func authFailure() *Error {
	return &Error{Status: http.StatusUnauthorized, Code: CodeAuthFailure,
		Message: "AWS was not able to validate the provided access credentials"}
}

func unauthorized() *Error {
	return &Error{Status: http.StatusForbidden, Code: CodeUnauthorizedOperation,
		Message: "You are not authorized to perform this operation."}
}

func internalError() *Error {
	return &Error{Status: http.StatusInternalServerError, Code: CodeInternalError,
		Message: "An internal error has occurred"}
}

func missingParameter(name string) *Error {
	return errorf(CodeMissingParameter, "The request must contain the parameter %s", name)
}

func notFound(code, kind, id string) *Error {
	return errorf(code, "The %s '%s' does not exist", kind, id)
}

// errorDocument is the body of an error answer:
// <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>.
func errorDocument(e *Error, requestID string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Response><Errors><Error><Code>")
	_ = xml.EscapeText(&b, []byte(e.Code))
	b.WriteString("</Code><Message>")
	_ = xml.EscapeText(&b, []byte(e.Message))
	b.WriteString("</Message></Error></Errors><RequestID>")
	b.WriteString(requestID)
	b.WriteString("</RequestID></Response>")
	return b.Bytes()
}
