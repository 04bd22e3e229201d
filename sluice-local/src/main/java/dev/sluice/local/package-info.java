package dev.sluice.local;
