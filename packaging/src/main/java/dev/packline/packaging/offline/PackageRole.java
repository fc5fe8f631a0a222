package dev.packline.packaging.offline;

import java.util.Arrays;
import java.util.Optional;

/** What an offline package is to the app: its main package, one of its sub packages, or the common package they share. */
public enum PackageRole {
    MAIN("main"),
    SUB("sub"),
    COMMON("common");

    private final String jsonName;

    PackageRole(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<PackageRole> byJsonName(String name) {
        return Arrays.stream(values()).filter(role -> role.jsonName.equals(name)).findFirst();
    }
}
