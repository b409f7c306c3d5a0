package vn.lienthong.schemas.ids;

/** Gender as encoded in the century-and-gender digit of a CCCD (even male, odd female). */
public enum Gender {
    MALE,
    FEMALE
}
