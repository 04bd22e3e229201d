package dev.sluice.aws;
