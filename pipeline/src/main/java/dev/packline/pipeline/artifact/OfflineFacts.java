package dev.packline.pipeline.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an offline package's manifest says about how a client loads it, kept with its stored file
 * and served with its release: the package id, its role ({@code main}, {@code sub} or
 * {@code common}), its loading strategy ({@code startup}, {@code config-change}, {@code scene},
 * {@code idle}, {@code delayed}, {@code blocking}, {@code smart}) and the version of the common
 * package it needs (null when none). The names are the manifest's (docs/packaging.md); as JSON
 * (stored, and served to clients as {@code package}): {@code id, role, strategy} and
 * {@code requiresCommon} when there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OfflineFacts(@JsonProperty("id") String packageId, String role, String strategy, String requiresCommon) {
}
