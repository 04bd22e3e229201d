package dev.sluice.postgres;
