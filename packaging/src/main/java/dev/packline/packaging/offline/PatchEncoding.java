package dev.packline.packaging.offline;

import java.util.Arrays;
import java.util.Optional;

/** How an offline patch carries one file's new bytes. */
public enum PatchEncoding {
    /** The file's bytes as they are. */
    STORED("stored"),
    /** The file's bytes as one gzip member. */
    GZIP("gzip"),
    /** A bsdiff-gz increment from the old package's file at {@code base} (see docs/packaging.md). */
    BSDIFF_GZIP("bsdiff-gz");

    private final String jsonName;

    PatchEncoding(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<PatchEncoding> byJsonName(String name) {
        return Arrays.stream(values()).filter(encoding -> encoding.jsonName.equals(name)).findFirst();
    }
}
